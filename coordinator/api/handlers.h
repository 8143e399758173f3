// The HTTP API's routes under /api/v1 and /healthz.
// Reads go to the store directly; changes go to the engine (one writer).
#pragma once

#include <vector>

#include "coordinator/api/router.h"
#include "coordinator/store/store.h"
#include "coordinator/workflow/engine_client.h"
#include "coordinator/workflow/settings.h"

namespace dsr::api {

struct ApiContext {
  const store::Store& store;
  const workflow::EngineClient& engine;
  std::vector<workflow::SourceSettings> sources;
};

// The route table. `context` must outlive the routes.
std::vector<Route> BuildRoutes(const ApiContext& context);

// Parses a JSON body: kInvalidArgument for bad JSON or nesting deeper than 64.
Result<nlohmann::json> ParseJsonBody(const std::string& body);

}  // namespace dsr::api
