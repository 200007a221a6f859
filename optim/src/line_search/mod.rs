//! Line searches.
