"""Errors for requests the data refuses; the API maps each class to an HTTP status."""


class StoreError(Exception):
    """Base: a request the data refuses, with a message fit to show the person who made it.

    ``message_zh`` is the same in Chinese, for the consoles (the JSON API answers in English).
    """

    def __init__(self, message: str, message_zh: str | None = None) -> None:
        super().__init__(message)
        self.message_zh = message_zh


class NotFoundError(StoreError):
    """The thing named does not exist (an unknown lot code in a URL)."""


class InvalidReferenceError(StoreError):
    """The request names something that does not exist or does not fit (a body field)."""


class ConflictError(StoreError):
    """The request contradicts what is recorded (a duplicate code, an overlapping custody)."""


class DeviceError(StoreError):
    """A device-registry request that cannot be carried out."""


class DuplicateDeviceError(DeviceError, ConflictError):
    """The device id is registered already."""


class UnknownDeviceError(DeviceError, NotFoundError):
    """No active device has this id."""


class InvalidDeviceError(DeviceError, InvalidReferenceError):
    """The device id is malformed or names a location that does not exist."""


class UserError(StoreError):
    """A user-management request that cannot be carried out."""


class DuplicateUserError(UserError, ConflictError):
    """The user name is taken."""


class InvalidUserError(UserError, InvalidReferenceError):
    """The request names a role that does not exist."""


class UnknownUserError(UserError, NotFoundError):
    """No user has this name."""
