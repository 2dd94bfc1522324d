"""What every app uses and that belongs to none: form rendering and errors, widgets, date
ranges, phone numbers, CSV safety, one-time submissions, the language links, the translation
check. It imports no app of the project (import-linter checks)."""
