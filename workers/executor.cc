#include "workers/executor.h"

#include <typeinfo>

#include "common/log.h"
#include "common/zmq_frames.h"
#include "workers/task_runner.h"

namespace dsr::workers {

Executor::Executor(zmq::context_t& context, std::string endpoint, connectors::Connector& connector)
    : context_(context), endpoint_(std::move(endpoint)), connector_(connector) {}

Executor::~Executor() {
  Stop();
}

void Executor::Start() {
  stopping_ = false;
  finished_ = false;
  thread_ = std::thread([this] { Run(); });
}

void Executor::Stop() {
  stopping_ = true;
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Executor::Stop(std::chrono::milliseconds wait) {
  stopping_ = true;
  wake_.notify_all();
  const auto give_up = std::chrono::steady_clock::now() + wait;
  while (!finished_ && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!finished_) return false;
  if (thread_.joinable()) thread_.join();
  return true;
}

std::vector<nlohmann::json> Executor::Withdraw() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<nlohmann::json> withdrawn(tasks_.begin(), tasks_.end());
  tasks_.clear();
  return withdrawn;
}

bool Executor::Idle() {
  std::lock_guard<std::mutex> lock(mutex_);
  return tasks_.empty() && !running_;
}

void Executor::Submit(nlohmann::json task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  wake_.notify_one();
}

Status Executor::Emit(zmq::socket_t& out, const wire::Message& message) {
  auto frames = wire::Encode(message);
  if (!frames.ok()) return frames.status();
  // Blocks while the network thread is behind (PAIR high-water mark), waking
  // up now and then to notice a stop.
  while (!stopping_) {
    Status sent = SendFrames(out, *frames);
    if (sent.ok()) return sent;
    if (sent.code() != StatusCode::kUnavailable) return sent;
    zmq::pollitem_t item{out.handle(), 0, ZMQ_POLLOUT, 0};
    zmq::poll(&item, 1, std::chrono::milliseconds(100));
  }
  return Unavailable("the worker is stopping");
}

void Executor::Run() {
  zmq::socket_t out(context_, zmq::socket_type::pair);
  ApplyCommonOptions(out);
  out.set(zmq::sockopt::sndhwm, 8);
  out.connect(endpoint_);
  const EmitMessage emit = [this, &out](const wire::Message& message) {
    return Emit(out, message);
  };
  while (true) {
    nlohmann::json task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (stopping_) break;
      task = std::move(tasks_.front());
      tasks_.pop_front();
      running_ = true;
    }
    try {
      RunTask(connector_, task, emit);
    } catch (const std::exception& error) {
      // A connector must not throw; if one does, the attempt is lost and the
      // coordinator hands the task out again after its time-out.
      LogError("executor",
               std::string("task ended by an exception of type ") + typeid(error).name());
    }
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = false;
  }
  out.close();
  finished_ = true;
}

}  // namespace dsr::workers
