#include "coordinator/coordinator_app.h"

int main(int argc, char** argv) {
  return dsr::RunCoordinator(argc, argv);
}
