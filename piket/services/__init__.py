"""Writes of the piket app, by subject: schedule (rosters and shifts), duty (who is on duty),
booking (consults), waitlist and notifications."""
