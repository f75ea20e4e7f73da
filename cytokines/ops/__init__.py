"""Operations: e-mail that never breaks a request, what a backup holds, health checks."""
