"""The parts of the sample profiles editor (``entities/profiles_editor.py``): the
list of profiles, and the attribute and event tables of the selected one."""
