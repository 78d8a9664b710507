"""The villages one installation serves: each village's profile, and which village the code at
hand works for (balai.villages.context)."""
