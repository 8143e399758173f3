#include <string>
#include <vector>

#include "tools/dsrctl/commands.h"

int main(int argc, char** argv) {
  return dsr::ctl::RunDsrctl(std::vector<std::string>(argv + 1, argv + argc));
}
