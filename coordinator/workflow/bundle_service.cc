#include "coordinator/workflow/bundle_service.h"

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "common/zmq_frames.h"

namespace dsr::workflow {

BundleService::BundleService(zmq::context_t& context, std::string notify_endpoint)
    : context_(context), notify_endpoint_(std::move(notify_endpoint)) {}

BundleService::~BundleService() {
  Stop();
}

void BundleService::Start() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void BundleService::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    jobs_.clear();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BundleService::Enqueue(BundleJob job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void BundleService::Run() {
  zmq::socket_t notify(context_, zmq::socket_type::push);
  ApplyCommonOptions(notify);
  notify.connect(notify_endpoint_);
  while (true) {
    BundleJob job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_) break;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    auto summary = bundle::BuildBundle(job.input, job.zip_path);
    nlohmann::json report = {{"request_id", job.request_id}, {"ok", summary.ok()}};
    if (summary.ok()) {
      report["summary"] = {{"path", summary->path},
                           {"sha256", summary->sha256},
                           {"bytes", summary->bytes},
                           {"files", summary->files},
                           {"records", summary->records}};
    } else {
      report["error"] = summary.status().ToString();
      LogError("bundle",
               "bundle for request " + job.request_id + " failed: " + summary.status().message());
    }
    // Blocking send on inproc: the engine always drains this socket.
    notify.send(zmq::buffer(report.dump()), zmq::send_flags::none);
  }
  notify.close();
}

}  // namespace dsr::workflow
