"""The Discord front end: a discord.py client that turns interactions and messages into handler calls."""
