//! GFMS relay wire protocol: paths, JSON bodies, ids and limits shared by relay and client.
