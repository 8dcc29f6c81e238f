"""The stand-in OpenAI-compatible server (see server.py)."""
