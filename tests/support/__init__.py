"""Test helpers that run real services on loopback (HTTP feed server, SMTP server)."""
