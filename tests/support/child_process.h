// ChildProcess: a real binary started by a test, with stdout and stderr in a
// log file. The destructor kills it if the test did not stop it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace dsr::testing {

class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Starts `program` with `args`; false if it could not be started.
  bool Start(const std::string& program, const std::vector<std::string>& args,
             const std::string& log_file);
  // Sends `signal` and waits up to `limit` for the exit; returns the exit
  // code (128 + signal when killed by one), or -1 if it did not end in time.
  int Stop(int signal, std::chrono::milliseconds limit = std::chrono::seconds(10));
  // The exit code (128 + signal when killed by one) once the process has
  // ended by itself, collecting it; nullopt while it runs.
  std::optional<int> ExitCodeIfEnded();
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

// The directory with the project's binaries (DSR_BIN_DIR, set by CTest).
std::string BinDir();
// The repository root (DSR_SOURCE_DIR, set by CTest).
std::string SourceDir();

// Polls `condition` every few milliseconds until it holds or `limit` passes.
template <typename Condition>
bool WaitFor(Condition condition, std::chrono::milliseconds limit = std::chrono::seconds(30));

}  // namespace dsr::testing

#include <thread>

namespace dsr::testing {

template <typename Condition>
bool WaitFor(Condition condition, std::chrono::milliseconds limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace dsr::testing
