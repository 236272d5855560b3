"""Operations: what a load balancer, a monitoring system and an operator's logs need
(docs/deploy.md): `/healthz`, Prometheus metrics at `/metrics`, JSON logs."""
