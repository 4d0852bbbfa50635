"""Attacks from the second security review (issue 26), each of which must fail."""
