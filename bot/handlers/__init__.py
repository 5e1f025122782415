"""Handlers: plain-Python behaviour of every command; they return Replies and never import discord."""

from bot.handlers.replies import Page, Reply, ReplyField, cite, error
from bot.handlers.story import StoryHandlers

__all__ = ["Page", "Reply", "ReplyField", "StoryHandlers", "cite", "error"]
