# The docanalysis library and CLI on a CPU image; Airflow images extend it (see docker-compose.yml).
FROM python:3.11-slim
WORKDIR /opt/docanalysis
ENV HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY pyproject.toml constraints.txt README.md ./
COPY analysis ./analysis
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
 && pip install --no-cache-dir -c constraints.txt '.[cpu]'
ENTRYPOINT ["docanalysis"]
CMD ["--help"]
