"""The audit log of organizers' actions on people: ``services.record_action`` writes an entry
in the acting service's transaction; ``views`` lists a conference's entries to its organizers."""
