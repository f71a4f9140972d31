"""The kernel: organisations, processes, participants, permissions, audit, the module registry.

The kernel knows no module by name; modules declare themselves to the registry.
"""
