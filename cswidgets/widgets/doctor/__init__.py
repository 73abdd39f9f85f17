"""The doctor's probe widget (``cswidgets.doctor()`` in a notebook): :class:`DoctorProbe`."""

from .probe import DoctorProbe

__all__ = ["DoctorProbe"]
