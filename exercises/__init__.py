"""The course's exercises: learners' stubs (workspace/), reference solutions, and their tests.

See exercises/README.md; check your work with ``./course check``.
"""
