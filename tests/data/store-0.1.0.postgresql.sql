-- The store's tables as jixiao 0.1.0 (commit a24d35a) created them on PostgreSQL:
-- its schema.py compiled for PostgreSQL, generated with that commit's code.

CREATE TABLE migrations (
	name VARCHAR(100) NOT NULL, 
	applied_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (name)
);
CREATE TABLE runs (
	id SERIAL NOT NULL, 
	started_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	finished_at TIMESTAMP WITH TIME ZONE, 
	backend VARCHAR(32) NOT NULL, 
	model VARCHAR(200), 
	prompt_version VARCHAR(100), 
	args JSON, 
	summary JSON, 
	documents_ok INTEGER, 
	documents_failed INTEGER, 
	documents_skipped INTEGER, 
	tokens_in INTEGER, 
	tokens_out INTEGER, 
	seconds FLOAT, 
	PRIMARY KEY (id)
);
CREATE TABLE documents (
	id SERIAL NOT NULL, 
	sha256 VARCHAR(64), 
	backend VARCHAR(32) NOT NULL, 
	path TEXT NOT NULL, 
	format VARCHAR(16), 
	pages INTEGER, 
	status VARCHAR(16) NOT NULL, 
	error TEXT, 
	department TEXT, 
	fiscal_year INTEGER, 
	text TEXT, 
	record JSON, 
	version INTEGER DEFAULT '1' NOT NULL, 
	created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	run_id INTEGER, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_documents_sha256_backend UNIQUE (sha256, backend), 
	CONSTRAINT ck_documents_status CHECK (status IN ('ok', 'failed')), 
	FOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE SET NULL
);
CREATE INDEX ix_documents_status ON documents (status);
CREATE TABLE facts (
	id SERIAL NOT NULL, 
	document_id INTEGER NOT NULL, 
	fact_id VARCHAR(64) NOT NULL, 
	concept VARCHAR(200) NOT NULL, 
	scope TEXT NOT NULL, 
	year INTEGER, 
	value FLOAT NOT NULL, 
	unit VARCHAR(32), 
	text TEXT, 
	quote TEXT, 
	quote_start INTEGER, 
	quote_end INTEGER, 
	page INTEGER, 
	cell_table INTEGER, 
	cell_row INTEGER, 
	cell_col INTEGER, 
	section VARCHAR(64), 
	origin VARCHAR(16), 
	confidence FLOAT, 
	share_of VARCHAR(200), 
	decimals INTEGER, 
	PRIMARY KEY (id), 
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE
);
CREATE INDEX ix_facts_concept ON facts (concept);
CREATE INDEX ix_facts_document_id ON facts (document_id);
CREATE TABLE indicators (
	id SERIAL NOT NULL, 
	document_id INTEGER NOT NULL, 
	indicator_id VARCHAR(64) NOT NULL, 
	scope TEXT NOT NULL, 
	table_kind VARCHAR(16) NOT NULL, 
	table_index INTEGER, 
	level1 TEXT, 
	level2 TEXT, 
	level3 TEXT, 
	operator VARCHAR(8), 
	target_text TEXT, 
	target_value FLOAT, 
	unit VARCHAR(32), 
	actual_text TEXT, 
	actual_value FLOAT, 
	weight FLOAT, 
	score FLOAT, 
	note TEXT, 
	achieved BOOLEAN, 
	quote TEXT, 
	quote_start INTEGER, 
	quote_end INTEGER, 
	page INTEGER, 
	cell_table INTEGER, 
	cell_row INTEGER, 
	cell_col INTEGER, 
	PRIMARY KEY (id), 
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE
);
CREATE INDEX ix_indicators_document_id ON indicators (document_id);
CREATE TABLE flags (
	id SERIAL NOT NULL, 
	document_id INTEGER NOT NULL, 
	flag_id VARCHAR(64) NOT NULL, 
	check_name VARCHAR(32) NOT NULL, 
	severity VARCHAR(16) NOT NULL, 
	facts JSON, 
	indicators JSON, 
	expected FLOAT, 
	actual FLOAT, 
	tolerance FLOAT, 
	message TEXT NOT NULL, 
	message_en TEXT, 
	status VARCHAR(16) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE
);
CREATE INDEX ix_flags_check_name ON flags (check_name);
CREATE INDEX ix_flags_document_id ON flags (document_id);
CREATE TABLE projects (
	id SERIAL NOT NULL, 
	document_id INTEGER NOT NULL, 
	name TEXT NOT NULL, 
	code VARCHAR(100), 
	managing_department TEXT, 
	implementing_unit TEXT, 
	PRIMARY KEY (id), 
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE
);
CREATE INDEX ix_projects_document_id ON projects (document_id);
CREATE TABLE llm_calls (
	id SERIAL NOT NULL, 
	run_id INTEGER, 
	document_id INTEGER, 
	sha256 VARCHAR(64), 
	section_id VARCHAR(64), 
	section_kind VARCHAR(32), 
	chunk INTEGER, 
	model VARCHAR(200), 
	mode VARCHAR(32), 
	prompt_version VARCHAR(100), 
	schema_hash VARCHAR(64), 
	tokens_in INTEGER, 
	tokens_out INTEGER, 
	attempts INTEGER, 
	seconds FLOAT, 
	cached BOOLEAN DEFAULT false NOT NULL, 
	error TEXT, 
	created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE SET NULL, 
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE SET NULL
);
CREATE INDEX ix_llm_calls_document_id ON llm_calls (document_id);
CREATE INDEX ix_llm_calls_run_id ON llm_calls (run_id);
CREATE INDEX ix_llm_calls_sha256 ON llm_calls (sha256);
CREATE TABLE review_decisions (
	id SERIAL NOT NULL, 
	document_id INTEGER NOT NULL, 
	target_kind VARCHAR(16) NOT NULL, 
	target_id VARCHAR(64) NOT NULL, 
	action VARCHAR(16) NOT NULL, 
	old_value JSON, 
	new_value JSON, 
	reviewer VARCHAR(200) NOT NULL, 
	comment TEXT, 
	created_at TIMESTAMP WITH TIME ZONE NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_review_decisions_target_kind CHECK (target_kind IN ('fact', 'indicator', 'flag')), 
	CONSTRAINT ck_review_decisions_action CHECK (action IN ('accept', 'correct', 'source_wrong', 'skip')), 
	FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE
);
CREATE INDEX ix_review_decisions_document_id ON review_decisions (document_id);
