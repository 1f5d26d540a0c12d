//! RFC 6962 Merkle log.
