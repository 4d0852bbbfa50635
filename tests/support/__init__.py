"""What the tests share: factories for every app's rows, corpora of hostile and pasted input, HTML
parsing helpers and the conformance gate's checker."""
