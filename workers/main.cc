#include "workers/worker_app.h"

int main(int argc, char** argv) {
  return dsr::workers::RunWorker(argc, argv);
}
