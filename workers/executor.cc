#include "workers/executor.h"

#include <typeinfo>

#include "common/log.h"
#include "common/zmq_frames.h"
#include "workers/task_runner.h"

namespace dsr::workers {

Executor::Executor(zmq::context_t& context, std::string endpoint, connectors::Connector& connector,
                   const Clock& clock, std::chrono::milliseconds credit_wait,
                   OutcomeJournal* journal)
    : context_(context),
      endpoint_(std::move(endpoint)),
      connector_(connector),
      clock_(clock),
      credit_wait_(credit_wait),
      journal_(journal) {}

Executor::~Executor() {
  Stop();
}

void Executor::Start() {
  stopping_ = false;
  finished_ = false;
  thread_ = std::thread([this] { Run(); });
}

void Executor::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
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
  return tasks_.empty() && running_.task_id.empty();
}

void Executor::Submit(nlohmann::json task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  wake_.notify_all();
}

void Executor::Grant(const std::string& task_id, int attempt, int credit) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (running_.lost || running_.task_id != task_id || running_.attempt != attempt) return;
    running_.credit += credit;
    running_.last_moved = clock_.Monotonic();
  }
  wake_.notify_all();
}

void Executor::LoseAttempts() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_.lost = true;
    tasks_.clear();
  }
  wake_.notify_all();
}

Status Executor::TakeCredit() {
  std::unique_lock<std::mutex> lock(mutex_);
  // The wait is measured on the injected clock, woken now and then to look at it.
  while (running_.credit == 0 && !running_.lost && !stopping_) {
    if (clock_.Monotonic() >= running_.last_moved + credit_wait_) {
      return Unavailable("the coordinator granted no credit for " +
                         std::to_string(credit_wait_.count()) + " ms");
    }
    wake_.wait_for(lock, std::chrono::milliseconds(50));
  }
  if (stopping_) return Unavailable("the worker is stopping");
  if (running_.lost) return Unavailable("the attempt was lost with the connection");
  --running_.credit;
  running_.last_moved = clock_.Monotonic();
  return Status::Ok();
}

Status Executor::Emit(zmq::socket_t& out, const wire::Message& message) {
  if (message.command == wire::Command::kChunk) {
    DSR_RETURN_IF_ERROR(TakeCredit());
  } else {
    std::lock_guard<std::mutex> lock(mutex_);
    // Nobody waits for a lost attempt's messages; its RESULT would be stale.
    if (running_.lost) return Unavailable("the attempt was lost with the connection");
  }
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
      running_ = Running{task.at("task_id").get<std::string>(), task.at("attempt").get<int>(),
                         task.at("credit").get<int64_t>(), false, clock_.Monotonic()};
    }
    try {
      RunTask(connector_, task, emit, kDefaultChunkBytes, journal_);
    } catch (const std::exception& error) {
      // A connector must not throw; if one does, the attempt is lost and the
      // coordinator hands the task out again after its time-out.
      LogError("executor",
               std::string("task ended by an exception of type ") + typeid(error).name());
    }
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = Running{};
  }
  out.close();
  finished_ = true;
}

}  // namespace dsr::workers
