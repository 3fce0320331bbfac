"""The intake form: typing a new complaint, with live checks, repeat detection and drafts."""
