"""The exercise files as the course ships them (pristine; the course's self-check tests these).

You never edit this folder: ``./course`` copies each stub that is missing from
``exercises/workspace/`` into it, and you write your code there. To start a
task again, delete your file in ``workspace/`` and run ``./course setup``.
"""
