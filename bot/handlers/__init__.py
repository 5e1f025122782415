"""Handlers: the one use-case API every front end calls; plain Python, they return Replies and never import
discord."""

# Front ends reach the answer engine only through here: the longest question it takes, and how it cuts text.
from bot.answer import MAX_QUESTION, shorten
from bot.handlers.replies import Page, Reply, ReplyField, cite, error
from bot.handlers.story import StoryHandlers

__all__ = ["MAX_QUESTION", "Page", "Reply", "ReplyField", "StoryHandlers", "cite", "error", "shorten"]
