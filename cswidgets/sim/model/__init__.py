"""The simulated instance, without HTTP: :class:`Model` and the parts it is built from."""

from .model import Model
from .studios import STATES, Studio
from .templates import DEFAULT_PORTS, DEFAULT_ZONES, PortSpec, ZoneSpec

__all__ = ["DEFAULT_PORTS", "DEFAULT_ZONES", "STATES", "Model", "PortSpec", "Studio", "ZoneSpec"]
