-- Generated from analysis/store/schema.py: python -m analysis.store.schema > sql/schema.sql

CREATE TABLE models (
	model_id VARCHAR(256) NOT NULL,
	kind VARCHAR(16) NOT NULL,
	name VARCHAR(256) NOT NULL,
	path VARCHAR(2048),
	sha256 VARCHAR(64),
	license VARCHAR(128),
	package VARCHAR(128),
	package_version VARCHAR(64),
	first_used_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (model_id)
);

CREATE TABLE questions (
	id BIGSERIAL NOT NULL,
	text TEXT NOT NULL,
	filters JSON NOT NULL,
	k INTEGER NOT NULL,
	requested_by VARCHAR(256),
	embedding_model_id VARCHAR(256) NOT NULL,
	index_version INTEGER NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (id)
);

CREATE TABLE runs (
	id BIGSERIAL NOT NULL,
	started_at TIMESTAMP WITH TIME ZONE NOT NULL,
	finished_at TIMESTAMP WITH TIME ZONE,
	status VARCHAR(16) NOT NULL,
	trigger VARCHAR(32) NOT NULL,
	params JSON NOT NULL,
	counts JSON NOT NULL,
	index_version INTEGER,
	error TEXT,
	dag_id VARCHAR(250),
	dag_run_id VARCHAR(250),
	PRIMARY KEY (id)
);

CREATE INDEX ix_runs_dag_run_id ON runs (dag_run_id);

CREATE TABLE searches (
	id BIGSERIAL NOT NULL,
	query TEXT NOT NULL,
	k INTEGER NOT NULL,
	domain VARCHAR(16),
	model_id VARCHAR(256) NOT NULL,
	index_version INTEGER NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	filters JSON,
	PRIMARY KEY (id)
);

CREATE TABLE answers (
	id BIGSERIAL NOT NULL,
	question_id BIGINT NOT NULL,
	backend VARCHAR(32) NOT NULL,
	model_id VARCHAR(256) NOT NULL,
	prompt_hash VARCHAR(64) NOT NULL,
	text TEXT NOT NULL,
	groundedness FLOAT NOT NULL,
	n_unsupported INTEGER NOT NULL,
	latency_s FLOAT NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(question_id) REFERENCES questions (id) ON DELETE CASCADE,
	FOREIGN KEY(model_id) REFERENCES models (model_id)
);

CREATE INDEX ix_answers_question_id ON answers (question_id);

CREATE TABLE audit (
	id BIGSERIAL NOT NULL,
	dag_id VARCHAR(250) NOT NULL,
	dag_run_id VARCHAR(250) NOT NULL,
	run_type VARCHAR(32) NOT NULL,
	requested_by VARCHAR(256),
	reason TEXT,
	params JSON NOT NULL,
	started_at TIMESTAMP WITH TIME ZONE NOT NULL,
	finished_at TIMESTAMP WITH TIME ZONE,
	outcome VARCHAR(16) NOT NULL,
	counts JSON NOT NULL,
	run_id BIGINT,
	error TEXT,
	PRIMARY KEY (id),
	UNIQUE (dag_id, dag_run_id),
	FOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE SET NULL
);

CREATE TABLE documents (
	id BIGSERIAL NOT NULL,
	sha256 VARCHAR(64) NOT NULL,
	kind VARCHAR(16) NOT NULL,
	parser VARCHAR(32) NOT NULL,
	domain VARCHAR(16) NOT NULL,
	doc_type VARCHAR(48) NOT NULL,
	title VARCHAR(512),
	size_bytes BIGINT NOT NULL,
	n_pages INTEGER NOT NULL,
	n_chars INTEGER NOT NULL,
	language VARCHAR(16),
	text TEXT NOT NULL,
	first_run_id BIGINT,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (sha256),
	FOREIGN KEY(first_run_id) REFERENCES runs (id) ON DELETE SET NULL
);

CREATE INDEX ix_documents_doc_type ON documents (doc_type);

CREATE INDEX ix_documents_domain ON documents (domain);

CREATE TABLE erasures (
	id BIGSERIAL NOT NULL,
	document_id BIGINT NOT NULL,
	sha256 VARCHAR(64) NOT NULL,
	reason TEXT NOT NULL,
	requested_by VARCHAR(256) NOT NULL,
	erased_at TIMESTAMP WITH TIME ZONE NOT NULL,
	run_id BIGINT,
	PRIMARY KEY (id),
	FOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE SET NULL
);

CREATE TABLE quarantine (
	id BIGSERIAL NOT NULL,
	path VARCHAR(2048) NOT NULL,
	sha256 VARCHAR(64) NOT NULL,
	size_bytes BIGINT NOT NULL,
	stage VARCHAR(16) NOT NULL,
	reason VARCHAR(512) NOT NULL,
	run_id BIGINT,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (path, sha256),
	FOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE SET NULL
);

CREATE INDEX ix_quarantine_path ON quarantine (path);

CREATE TABLE chunks (
	id BIGSERIAL NOT NULL,
	document_id BIGINT NOT NULL,
	ordinal INTEGER NOT NULL,
	text TEXT NOT NULL,
	char_start INTEGER NOT NULL,
	char_end INTEGER NOT NULL,
	page_start INTEGER NOT NULL,
	page_end INTEGER NOT NULL,
	section VARCHAR(512),
	n_tokens INTEGER NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (document_id, ordinal),
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE
);

CREATE INDEX ix_chunks_document_id ON chunks (document_id);

CREATE TABLE document_sources (
	path VARCHAR(2048) NOT NULL,
	document_id BIGINT NOT NULL,
	size_bytes BIGINT NOT NULL,
	mtime_ns BIGINT NOT NULL,
	last_run_id BIGINT,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (path),
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE,
	FOREIGN KEY(last_run_id) REFERENCES runs (id) ON DELETE SET NULL
);

CREATE INDEX ix_document_sources_document_id ON document_sources (document_id);

CREATE TABLE extractions (
	id BIGSERIAL NOT NULL,
	document_id BIGINT NOT NULL,
	document_sha256 VARCHAR(64) NOT NULL,
	run_id BIGINT,
	backend VARCHAR(32) NOT NULL,
	model_id VARCHAR(256) NOT NULL,
	prompt_hash VARCHAR(64) NOT NULL,
	extractor VARCHAR(64) NOT NULL,
	extractor_version VARCHAR(32) NOT NULL,
	n_facts INTEGER NOT NULL,
	n_rejected INTEGER NOT NULL,
	n_failed INTEGER NOT NULL,
	latency_s FLOAT NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (document_sha256, model_id, prompt_hash),
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE,
	FOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE SET NULL,
	FOREIGN KEY(model_id) REFERENCES models (model_id)
);

CREATE INDEX ix_extractions_document_id ON extractions (document_id);

CREATE TABLE job_failures (
	id BIGSERIAL NOT NULL,
	document_id BIGINT NOT NULL,
	document_sha256 VARCHAR(64) NOT NULL,
	job VARCHAR(32) NOT NULL,
	model_id VARCHAR(256) NOT NULL,
	prompt_hash VARCHAR(64) NOT NULL,
	reason VARCHAR(512) NOT NULL,
	attempts INTEGER NOT NULL,
	first_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
	last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
	last_run_id BIGINT,
	PRIMARY KEY (id),
	UNIQUE (document_sha256, job, model_id, prompt_hash),
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE,
	FOREIGN KEY(last_run_id) REFERENCES runs (id) ON DELETE SET NULL
);

CREATE INDEX ix_job_failures_document_id ON job_failures (document_id);

CREATE TABLE pages (
	document_id BIGINT NOT NULL,
	number INTEGER NOT NULL,
	char_start INTEGER NOT NULL,
	char_end INTEGER NOT NULL,
	text_source VARCHAR(64) DEFAULT 'text_layer' NOT NULL,
	ocr_confidence FLOAT,
	flag VARCHAR(512),
	PRIMARY KEY (document_id, number),
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE
);

CREATE TABLE summaries (
	id BIGSERIAL NOT NULL,
	document_id BIGINT NOT NULL,
	document_sha256 VARCHAR(64) NOT NULL,
	run_id BIGINT,
	backend VARCHAR(32) NOT NULL,
	model_id VARCHAR(256) NOT NULL,
	prompt_hash VARCHAR(64) NOT NULL,
	strategy VARCHAR(32) NOT NULL,
	text TEXT NOT NULL,
	draft_text TEXT,
	sentences JSON NOT NULL,
	supporting_chunk_ids JSON NOT NULL,
	groundedness FLOAT NOT NULL,
	n_unsupported INTEGER NOT NULL,
	tokens_in INTEGER NOT NULL,
	tokens_out INTEGER NOT NULL,
	latency_s FLOAT NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (document_sha256, model_id, prompt_hash),
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE,
	FOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE SET NULL,
	FOREIGN KEY(model_id) REFERENCES models (model_id)
);

CREATE INDEX ix_summaries_document_id ON summaries (document_id);

CREATE TABLE answer_sentences (
	id BIGSERIAL NOT NULL,
	answer_id BIGINT NOT NULL,
	sentence_index INTEGER NOT NULL,
	sentence TEXT NOT NULL,
	supported BOOLEAN NOT NULL,
	similarity FLOAT NOT NULL,
	chunk_id BIGINT,
	document_id BIGINT,
	page INTEGER,
	char_start INTEGER,
	char_end INTEGER,
	PRIMARY KEY (id),
	FOREIGN KEY(answer_id) REFERENCES answers (id) ON DELETE CASCADE,
	FOREIGN KEY(chunk_id) REFERENCES chunks (id) ON DELETE CASCADE,
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE
);

CREATE INDEX ix_answer_sentences_answer_id ON answer_sentences (answer_id);

CREATE INDEX ix_answer_sentences_chunk_id ON answer_sentences (chunk_id);

CREATE INDEX ix_answer_sentences_document_id ON answer_sentences (document_id);

CREATE TABLE embeddings (
	chunk_id BIGINT NOT NULL,
	model_id VARCHAR(256) NOT NULL,
	dimension INTEGER NOT NULL,
	vector BYTEA NOT NULL,
	run_id BIGINT,
	index_version INTEGER,
	PRIMARY KEY (chunk_id, model_id),
	FOREIGN KEY(chunk_id) REFERENCES chunks (id) ON DELETE CASCADE,
	FOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE SET NULL
);

CREATE INDEX ix_embeddings_model_chunk ON embeddings (model_id, chunk_id);

CREATE TABLE extraction_problems (
	id BIGSERIAL NOT NULL,
	extraction_id BIGINT NOT NULL,
	document_id BIGINT NOT NULL,
	field VARCHAR(64) NOT NULL,
	problem VARCHAR(16) NOT NULL,
	reason VARCHAR(512) NOT NULL,
	value TEXT,
	PRIMARY KEY (id),
	FOREIGN KEY(extraction_id) REFERENCES extractions (id) ON DELETE CASCADE,
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE
);

CREATE INDEX ix_extraction_problems_document_id ON extraction_problems (document_id);

CREATE INDEX ix_extraction_problems_extraction_id ON extraction_problems (extraction_id);

CREATE TABLE facts (
	id BIGSERIAL NOT NULL,
	extraction_id BIGINT NOT NULL,
	document_id BIGINT NOT NULL,
	kind VARCHAR(16) NOT NULL,
	field VARCHAR(64) NOT NULL,
	ordinal INTEGER NOT NULL,
	value TEXT NOT NULL,
	raw TEXT,
	evidence TEXT,
	char_start INTEGER,
	char_end INTEGER,
	page INTEGER,
	chunk_id BIGINT,
	confidence FLOAT NOT NULL,
	negated BOOLEAN NOT NULL,
	uncertain BOOLEAN NOT NULL,
	historical BOOLEAN NOT NULL,
	family BOOLEAN NOT NULL,
	role VARCHAR(128),
	dose VARCHAR(64),
	route VARCHAR(64),
	frequency VARCHAR(64),
	section VARCHAR(512),
	attributes JSON NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(extraction_id) REFERENCES extractions (id) ON DELETE CASCADE,
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE,
	FOREIGN KEY(chunk_id) REFERENCES chunks (id) ON DELETE SET NULL
);

CREATE INDEX ix_facts_chunk_id ON facts (chunk_id);

CREATE INDEX ix_facts_document_id ON facts (document_id);

CREATE INDEX ix_facts_extraction_id ON facts (extraction_id);

CREATE INDEX ix_facts_field ON facts (field);

CREATE TABLE search_hits (
	search_id BIGINT NOT NULL,
	rank INTEGER NOT NULL,
	chunk_id BIGINT NOT NULL,
	document_id BIGINT NOT NULL,
	score FLOAT NOT NULL,
	PRIMARY KEY (search_id, rank),
	FOREIGN KEY(search_id) REFERENCES searches (id) ON DELETE CASCADE,
	FOREIGN KEY(chunk_id) REFERENCES chunks (id) ON DELETE CASCADE,
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE
);

CREATE INDEX ix_search_hits_chunk_id ON search_hits (chunk_id);

CREATE INDEX ix_search_hits_document_id ON search_hits (document_id);

CREATE TABLE sentiments (
	id BIGSERIAL NOT NULL,
	document_id BIGINT NOT NULL,
	document_sha256 VARCHAR(64) NOT NULL,
	chunk_id BIGINT,
	chunk_ordinal INTEGER NOT NULL,
	run_id BIGINT,
	backend VARCHAR(32) NOT NULL,
	model_id VARCHAR(256) NOT NULL,
	prompt_hash VARCHAR(64) NOT NULL,
	label VARCHAR(16) NOT NULL,
	score FLOAT NOT NULL,
	confidence FLOAT NOT NULL,
	latency_s FLOAT NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (document_sha256, chunk_ordinal, model_id, prompt_hash),
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE,
	FOREIGN KEY(chunk_id) REFERENCES chunks (id) ON DELETE CASCADE,
	FOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE SET NULL,
	FOREIGN KEY(model_id) REFERENCES models (model_id)
);

CREATE INDEX ix_sentiments_chunk_id ON sentiments (chunk_id);

CREATE INDEX ix_sentiments_document_id ON sentiments (document_id);

CREATE TABLE summary_support (
	id BIGSERIAL NOT NULL,
	summary_id BIGINT NOT NULL,
	sentence_index INTEGER NOT NULL,
	sentence TEXT NOT NULL,
	supported BOOLEAN NOT NULL,
	similarity FLOAT NOT NULL,
	chunk_id BIGINT,
	page_start INTEGER,
	page_end INTEGER,
	action VARCHAR(16),
	draft_sentence TEXT,
	PRIMARY KEY (id),
	FOREIGN KEY(summary_id) REFERENCES summaries (id) ON DELETE CASCADE,
	FOREIGN KEY(chunk_id) REFERENCES chunks (id) ON DELETE CASCADE
);

CREATE INDEX ix_summary_support_chunk_id ON summary_support (chunk_id);

CREATE INDEX ix_summary_support_summary_id ON summary_support (summary_id);
