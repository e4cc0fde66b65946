#!/usr/bin/env bash
# Builds a real-world precision corpus: the published code of widely used packages (SDKs for the
# providers Keyward has rules for, database drivers, web frameworks), whose docstrings, READMEs,
# test helpers and API examples are full of credential-shaped text that is not a leak.
#   benches/noise_corpus.sh DEST        # then: keyward scan DEST --format json
# Every finding on it should be reviewed; docs/benchmarks.md lists the last review.
set -euo pipefail
dest=${1:?usage: noise_corpus.sh DEST}
mkdir -p "$dest/pypi" "$dest/npm"
(
  cd "$dest/pypi"
  pip download -q --no-deps --only-binary :all: boto3 botocore requests django kubernetes \
    ansible-core flask sqlalchemy celery paramiko azure-storage-blob google-cloud-storage stripe \
    twilio sendgrid slack-sdk openai docker fabric moto awscli
  for f in *.whl; do
    mkdir -p "${f%.whl}" && (cd "${f%.whl}" && python3 -m zipfile -e "../$f" .) && rm "$f"
  done
)
(
  cd "$dest/npm"
  npm pack -q aws-sdk @aws-sdk/client-s3 @aws-sdk/credential-providers stripe twilio @sendgrid/mail \
    @slack/web-api openai firebase-admin googleapis jsonwebtoken passport mongoose pg mysql2 redis \
    ioredis nodemailer axios express knex sequelize dotenv >/dev/null
  for f in *.tgz; do
    mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}" && rm "$f"
  done
)
du -sh "$dest"
