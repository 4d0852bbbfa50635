"""Reader comments: threading, likes, moderation and spam defences."""
