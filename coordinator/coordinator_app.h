// The dsr-coordinator process: configuration, store, engine and HTTP API,
// started in that order and stopped in reverse on SIGTERM or SIGINT.
#pragma once

namespace dsr {

// Runs the coordinator with the command line of main(); returns the exit code.
int RunCoordinator(int argc, char** argv);

}  // namespace dsr
