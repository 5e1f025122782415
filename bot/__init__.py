"""StoryBot: answers questions about one news story, citing the article's paragraphs."""

__version__ = "0.1.0"
