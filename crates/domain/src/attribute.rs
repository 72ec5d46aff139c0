//! Customer attributes configured by the backend (C5, C15).
