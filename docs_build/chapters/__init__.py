"""One module a chapter: it registers that chapter's facts and figures."""
