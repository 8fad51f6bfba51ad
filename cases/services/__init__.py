"""Writes of the cases app. Every change goes through one of these functions, in one transaction,
and writes an audit entry. Split by subject: cases, second line (advice, handovers), sociale
kaart, and privacy (data subject requests, retention)."""
