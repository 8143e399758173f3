#include "tests/support/mariadb_server.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <mysql.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace dsr::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kUser[] = "dsr";
constexpr char kPassword[] = "dsr-test-only";
constexpr auto kStartTimeout = std::chrono::seconds(30);
constexpr auto kStopTimeout = std::chrono::seconds(20);
constexpr int kLaunchAttempts = 3;

[[noreturn]] void FixtureFailure(const std::string& what) {
  std::fprintf(stderr, "test fixture failure: %s\n", what.c_str());
  std::abort();
}

// The first of `names` found in $PATH or the usual system directories
// (mariadbd lives in /usr/sbin, which a non-root $PATH may lack).
std::string FindProgram(const std::vector<std::string>& names) {
  const char* path = std::getenv("PATH");
  std::vector<std::string> dirs;
  std::stringstream listed(path != nullptr ? path : "");
  for (std::string dir; std::getline(listed, dir, ':');) dirs.push_back(dir);
  for (const char* dir : {"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"}) {
    dirs.push_back(dir);
  }
  for (const auto& name : names) {
    for (const auto& dir : dirs) {
      const std::string candidate = dir + "/" + name;
      if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
  }
  return "";
}

// Unix socket paths end at 107 bytes, so a long $TMPDIR is passed over.
std::string MakeServerDir() {
  const char* base = std::getenv("TMPDIR");
  const bool usable = base != nullptr && *base != '\0' && std::strlen(base) < 60;
  std::string pattern = std::string(usable ? base : "/tmp") + "/dsr-mariadb-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) FixtureFailure("mkdtemp failed");
  return pattern;
}

// A port that was free a moment ago; Start retries when it is taken meanwhile.
int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    FixtureFailure("cannot find a free port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

std::string Tail(const std::string& path) {
  std::ifstream file(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) lines.push_back(line);
  std::string tail;
  for (size_t i = lines.size() > 40 ? lines.size() - 40 : 0; i < lines.size(); ++i) {
    tail += "\n  " + lines[i];
  }
  return tail;
}

// Starts `argv` with stdout and stderr in `log`. With `die_with_parent` the
// kernel sends it SIGTERM when this process ends, so a crashed test leaves
// no server behind.
pid_t Spawn(const std::vector<std::string>& argv, const std::string& log, bool die_with_parent) {
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  // The child: only async-signal-safe calls until exec.
  const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (out < 0 || ::dup2(out, 1) < 0 || ::dup2(out, 2) < 0) ::_exit(126);
  if (die_with_parent && (::prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || ::getppid() != parent)) {
    ::_exit(126);
  }
  ::execv(args[0], args.data());
  ::_exit(127);
}

// The server options that keep a throw-away server small and quick; the
// data is lost on a crash, which a test server can afford.
std::vector<std::string> ServerOptions(const std::string& data_dir) {
  // Several test servers run at once (ctest -j): each gets a temporary
  // directory of its own (in a shared /tmp two bootstraps removed each other's
  // temporary tables, and mariadb-install-db failed now and then), and none
  // takes native AIO contexts, which are limited machine-wide.
  const std::string tmp_dir = std::filesystem::path(data_dir).parent_path().string() + "/tmp";
  std::filesystem::create_directories(tmp_dir);
  std::vector<std::string> options = {"--no-defaults", "--datadir=" + data_dir,
                                      "--tmpdir=" + tmp_dir, "--innodb-log-file-size=8M",
                                      "--innodb-use-native-aio=0"};
  // mariadbd refuses to run as root unless told to.
  if (::geteuid() == 0) options.push_back("--user=root");
  return options;
}

using Connection = std::unique_ptr<MYSQL, decltype(&mysql_close)>;

Connection ConnectAsRoot(const std::string& socket, const std::string& database) {
  Connection connection(mysql_init(nullptr), &mysql_close);
  if (!connection) FixtureFailure("mysql_init failed");
  mysql_options(connection.get(), MYSQL_SET_CHARSET_NAME, "utf8mb4");
  if (mysql_real_connect(connection.get(), nullptr, "root", "",
                         database.empty() ? nullptr : database.c_str(), 0, socket.c_str(),
                         0) == nullptr) {
    return Connection(nullptr, &mysql_close);
  }
  return connection;
}

// `sql` with ?1, ?2 ... replaced by the escaped, quoted `params`.
std::string WithParams(MYSQL* connection, const std::string& sql,
                       const std::vector<std::string>& params) {
  std::string text;
  for (size_t i = 0; i < sql.size(); ++i) {
    size_t end = i + 1;
    while (end < sql.size() && std::isdigit(static_cast<unsigned char>(sql[end])) != 0) ++end;
    if (sql[i] != '?' || end == i + 1) {
      text += sql[i];
      continue;
    }
    const std::string& param = params.at(std::stoul(sql.substr(i + 1, end - i - 1)) - 1);
    std::string escaped(param.size() * 2 + 1, '\0');
    escaped.resize(mysql_real_escape_string(connection, escaped.data(), param.data(),
                                            static_cast<unsigned long>(param.size())));
    text += "'" + escaped + "'";
    i = end - 1;
  }
  return text;
}

nlohmann::json FieldValue(const MYSQL_FIELD& field, const char* data, unsigned long length) {
  if (data == nullptr) return nullptr;
  std::string text(data, length);
  switch (field.type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
      return std::stoll(text);
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE:
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
      return std::stod(text);
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP:
      if (text.size() > 10 && text[10] == ' ') text[10] = 'T';
      return text;
    default:
      return text;
  }
}

}  // namespace

Result<std::unique_ptr<MariaDbServer>> MariaDbServer::Start() {
  const auto started = Clock::now();
  const std::string install_db = FindProgram({"mariadb-install-db", "mysql_install_db"});
  const std::string mariadbd = FindProgram({"mariadbd", "mysqld"});
  if (install_db.empty() || mariadbd.empty()) {
    return Unavailable(
        "MariaDB is not installed: the tests need mariadb-install-db and mariadbd "
        "(Debian: mariadb-server-core, mariadb-client-core; see deploy/setup.sh)");
  }
  std::unique_ptr<MariaDbServer> server(new MariaDbServer);
  server->dir_ = MakeServerDir();
  server->socket_ = server->dir_ + "/mysqld.sock";
  DSR_RETURN_IF_ERROR(server->Install(install_db));
  Status ready = Status::Ok();
  for (int attempt = 0; attempt < kLaunchAttempts; ++attempt) {
    server->port_ = FreePort();
    DSR_RETURN_IF_ERROR(server->Launch(mariadbd));
    ready = server->WaitUntilReady();
    // Only a port taken since FreePort looked is worth another try.
    if (ready.ok() || ready.message().find("in use") == std::string::npos) break;
  }
  DSR_RETURN_IF_ERROR(ready);
  server->Execute(
      "", std::string("CREATE USER '") + kUser + "'@'127.0.0.1' IDENTIFIED BY '" + kPassword + "'");
  server->startup_seconds_ = std::chrono::duration<double>(Clock::now() - started).count();
  return server;
}

MariaDbServer& MariaDbServer::Shared() {
  // A failed start is kept, so that every test reports it without retrying.
  static Result<std::unique_ptr<MariaDbServer>> server = Start();
  REQUIRE_MESSAGE(server.ok(), server.status().ToString());
  return *server.value();
}

MariaDbServer::~MariaDbServer() {
  Stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

Status MariaDbServer::Install(const std::string& install_db) {
  std::vector<std::string> argv = {install_db};
  for (const auto& option : ServerOptions(dir_ + "/data")) argv.push_back(option);
  for (const char* option :
       {"--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve"}) {
    argv.push_back(option);
  }
  const std::string log = dir_ + "/install.log";
  const pid_t pid = Spawn(argv, log, /*die_with_parent=*/true);
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    return Unavailable("mariadb-install-db failed:" + Tail(log));
  }
  return Status::Ok();
}

Status MariaDbServer::Launch(const std::string& mariadbd) {
  std::vector<std::string> argv = {mariadbd};
  for (const auto& option : ServerOptions(dir_ + "/data")) argv.push_back(option);
  for (const std::string& option : {
           "--socket=" + socket_,
           "--port=" + std::to_string(port_),
           std::string("--bind-address=127.0.0.1"),
           std::string("--skip-name-resolve"),
           "--pid-file=" + dir_ + "/mysqld.pid",
           "--log-error=" + dir_ + "/error.log",
           std::string("--skip-log-bin"),
           std::string("--innodb-buffer-pool-size=64M"),
           std::string("--innodb-flush-log-at-trx-commit=2"),
           std::string("--innodb-doublewrite=0"),
           std::string("--innodb-fast-shutdown=2"),
           std::string("--innodb-buffer-pool-dump-at-shutdown=0"),
           std::string("--innodb-buffer-pool-load-at-startup=0"),
           std::string("--character-set-server=utf8mb4"),
           std::string("--collation-server=utf8mb4_unicode_ci"),
       }) {
    argv.push_back(option);
  }
  pid_ = Spawn(argv, dir_ + "/server.log", /*die_with_parent=*/true);
  if (pid_ < 0) return Unavailable("cannot start mariadbd: " + std::string(std::strerror(errno)));
  return Status::Ok();
}

// Polls the socket every 20 ms; a server that exits meanwhile ends the wait.
Status MariaDbServer::WaitUntilReady() {
  const auto deadline = Clock::now() + kStartTimeout;
  while (Clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return Unavailable("mariadbd exited at start:" + Tail(dir_ + "/error.log"));
    }
    if (ConnectAsRoot(socket_, "")) return Status::Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Unavailable("mariadbd did not accept connections within 30 s:" +
                     Tail(dir_ + "/error.log"));
}

void MariaDbServer::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + kStopTimeout;
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (Clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
}

Status MariaDbServer::StartAgain() {
  if (pid_ > 0) return Status::Ok();
  const std::string mariadbd = FindProgram({"mariadbd", "mysqld"});
  if (mariadbd.empty()) return Unavailable("mariadbd is no longer installed");
  DSR_RETURN_IF_ERROR(Launch(mariadbd));
  return WaitUntilReady();
}

std::string MariaDbServer::CreateDatabase(const std::string& prefix) {
  return CreateDatabaseWith(prefix, "SELECT, UPDATE, DELETE");
}

std::string MariaDbServer::CreateOwnedDatabase(const std::string& prefix) {
  return CreateDatabaseWith(prefix, "ALL PRIVILEGES");
}

std::string MariaDbServer::CreateDatabaseWith(const std::string& prefix,
                                              const std::string& privileges) {
  const std::string name = prefix + "_" + std::to_string(++databases_);
  Execute("", "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
  Execute("", "GRANT " + privileges + " ON `" + name + "`.* TO '" + kUser + "'@'127.0.0.1'");
  return name;
}

std::string MariaDbServer::ConnectionString(const std::string& database) const {
  return "mysql://db=" + database + " host=127.0.0.1 port=" + std::to_string(port_) +
         " user=" + kUser + " password=" + kPassword + " charset=utf8mb4";
}

std::string MariaDbServer::RootConnectionString(const std::string& database) const {
  return "mysql://db=" + database + " unix_socket=" + socket_ + " user=root charset=utf8mb4";
}

MariaDbLockHolder::MariaDbLockHolder(const MariaDbServer& server, const std::string& database,
                                     const std::string& locking_statement)
    : connection_(ConnectAsRoot(server.socket_path(), database).release()) {
  if (connection_ == nullptr) FixtureFailure("cannot connect to the test server");
  for (const std::string& sql : {std::string("START TRANSACTION"), locking_statement}) {
    if (mysql_real_query(connection_, sql.c_str(), static_cast<unsigned long>(sql.size())) != 0) {
      FixtureFailure("MariaDbLockHolder: " + std::string(mysql_error(connection_)));
    }
    if (MYSQL_RES* result = mysql_store_result(connection_)) mysql_free_result(result);
  }
}

MariaDbLockHolder::~MariaDbLockHolder() {
  mysql_query(connection_, "ROLLBACK");
  mysql_close(connection_);
}

void MariaDbServer::Execute(const std::string& database, const std::string& sql) const {
  Connection connection = ConnectAsRoot(socket_, database);
  if (!connection) FixtureFailure("cannot connect to the test server");
  if (mysql_real_query(connection.get(), sql.c_str(), static_cast<unsigned long>(sql.size()))) {
    FixtureFailure("Execute: " + std::string(mysql_error(connection.get())));
  }
}

std::vector<nlohmann::json> MariaDbServer::Query(const std::string& database,
                                                 const std::string& sql,
                                                 const std::vector<std::string>& params) const {
  Connection connection = ConnectAsRoot(socket_, database);
  if (!connection) FixtureFailure("cannot connect to the test server");
  const std::string text = WithParams(connection.get(), sql, params);
  if (mysql_real_query(connection.get(), text.c_str(), static_cast<unsigned long>(text.size()))) {
    FixtureFailure("Query: " + std::string(mysql_error(connection.get())));
  }
  std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> result(
      mysql_store_result(connection.get()), &mysql_free_result);
  if (!result) FixtureFailure("Query returned no rows: " + sql);
  const unsigned columns = mysql_num_fields(result.get());
  const MYSQL_FIELD* fields = mysql_fetch_fields(result.get());
  std::vector<nlohmann::json> rows;
  while (MYSQL_ROW row = mysql_fetch_row(result.get())) {
    const unsigned long* lengths = mysql_fetch_lengths(result.get());
    nlohmann::json object = nlohmann::json::object();
    for (unsigned c = 0; c < columns; ++c) {
      object[fields[c].name] = FieldValue(fields[c], row[c], lengths[c]);
    }
    rows.push_back(std::move(object));
  }
  return rows;
}

}  // namespace dsr::testing
