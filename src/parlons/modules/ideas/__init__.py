"""The idea box: participants submit ideas, support and discuss them; organisers answer."""
