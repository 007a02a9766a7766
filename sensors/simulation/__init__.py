"""The simulated Jinkouhe fleet: trucks on the real roads out of the district, and the rooms
of the primary processing centre. Every value is a function of the seed and simulated time."""
