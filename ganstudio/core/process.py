"""Whether a process still runs, asked without disturbing it, on POSIX and on Windows.

On Windows ``os.kill(pid, 0)`` does not probe: it calls ``TerminateProcess``. There the
kernel is asked through ``OpenProcess`` and ``GetExitCodeProcess`` instead. Safe from any
thread.
"""

from __future__ import annotations

import os
import sys

_PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
_STILL_ACTIVE = 259
_ERROR_INVALID_PARAMETER = 87  # OpenProcess's answer for a pid that names no process


def process_alive(pid: int) -> bool | None:
    """True if process ``pid`` runs on this machine, False if it does not, None if
    that cannot be told (an invalid pid, or the system refuses to say)."""
    if not isinstance(pid, int) or pid <= 0:
        return None  # 0 and negative pids name process groups on POSIX
    if sys.platform == "win32":
        return _windows_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0: only checks that the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by someone else
    except OSError:
        return None
    return True


def _windows_alive(pid: int) -> bool | None:
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    kernel32.GetExitCodeProcess.restype = wintypes.BOOL
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    kernel32.CloseHandle.restype = wintypes.BOOL
    handle = kernel32.OpenProcess(_PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        # No such process, or e.g. access denied: then it exists.
        return ctypes.get_last_error() != _ERROR_INVALID_PARAMETER
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return None
        # A process that exited with code 259 would look alive: rare, and only delays the
        # "interrupted" label, never kills anything.
        return code.value == _STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)
