"""Short meetings between connected people, at organizer-defined meeting points."""
