#!/usr/bin/env bash
# Makes sure PostgreSQL and RabbitMQ answer on localhost, starting the local ones if they do not.
# With DATABASE_URL and AMQP_URL set to other hosts, it only checks nothing.
set -euo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local port=$1 name=$2
  for _ in $(seq 1 60); do
    port_open "$port" && return 0
    sleep 1
  done
  echo "$name is not answering on port $port" >&2
  return 1
}

if ! port_open 5432; then
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  wait_port 5432 PostgreSQL
fi

if ! port_open 5672; then
  echo "starting RabbitMQ"
  rabbitmq-server -detached
  wait_port 5672 RabbitMQ
fi
# The broker accepts TCP before its app is up; wait until it answers status.
for _ in $(seq 1 60); do
  rabbitmqctl -q status >/dev/null 2>&1 && break
  sleep 1
done
rabbitmqctl -q start_app >/dev/null 2>&1 || true
echo "PostgreSQL and RabbitMQ are up"
