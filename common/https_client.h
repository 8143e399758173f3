// Client sessions to the coordinator's API: HTTPS whose server certificate is
// verified against a file the operator names (the coordinator's self-signed
// certificate, or the CA that signed it) or, without one, against the
// system's trusted CAs; never "accept any certificate". Plain HTTP only for
// an http:// URL, which the coordinator serves only when configured to.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/URI.h>

#include <memory>
#include <string>

#include "common/status.h"

namespace dsr {

// A session for `uri` (http or https). kInvalidArgument for another scheme,
// or when `ca_file` cannot be read.
Result<std::unique_ptr<Poco::Net::HTTPClientSession>> OpenHttpSession(const Poco::URI& uri,
                                                                      const std::string& ca_file);

}  // namespace dsr
