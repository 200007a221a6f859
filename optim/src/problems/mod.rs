//! Standard test problems with known minima.
