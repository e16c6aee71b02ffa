"""Finding people: profiles within a conference, the directory and explained suggestions."""
