// The dsr-worker process: reads its config, builds the connector for its
// source and serves the coordinator until SIGTERM or SIGINT.
#pragma once

namespace dsr::workers {

int RunWorker(int argc, char** argv);

}  // namespace dsr::workers
