// BundleService: builds response bundles on a thread of its own, so that a
// bundle of many gigabytes never stalls the engine's socket loop.
//
// Enqueue() is thread-safe. Each finished job is reported to the engine as one
// JSON message on the inproc PUSH endpoint given at construction:
//   {"request_id", "ok": true, "summary": {path, sha256, bytes, files, records}}
//   {"request_id", "ok": false, "error": "..."}
// Stop() finishes the job in hand and drops the rest: they are rebuilt after
// the next start, since the store still says the request awaits its bundle.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <zmq.hpp>

#include "coordinator/bundle/bundle.h"

namespace dsr::workflow {

struct BundleJob {
  std::string request_id;
  bundle::BundleInput input;
  std::string zip_path;
};

class BundleService {
 public:
  BundleService(zmq::context_t& context, std::string notify_endpoint);
  ~BundleService();
  void Start();
  void Stop();
  void Enqueue(BundleJob job);

 private:
  void Run();

  zmq::context_t& context_;
  std::string notify_endpoint_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<BundleJob> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace dsr::workflow
