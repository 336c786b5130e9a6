import { MigrationInterface, QueryRunner } from 'typeorm';

export class SharingAndBulletins1764172800000 implements MigrationInterface {
  name = 'SharingAndBulletins1764172800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sharing_rules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid REFERENCES organisations(id),
        subject text NOT NULL CHECK (subject IN ('BULLETIN','VETTING_STATUS')),
        categories text[] NOT NULL DEFAULT '{}',
        audience_organisation_ids uuid[] NOT NULL DEFAULT '{}',
        audience_organisation_types text[] NOT NULL DEFAULT '{}',
        audience_ports text[] NOT NULL DEFAULT '{}',
        max_tlp text NOT NULL CHECK (max_tlp IN ('CLEAR','GREEN','AMBER')),
        valid_until timestamptz,
        created_by uuid NOT NULL REFERENCES users(id),
        -- millisecond precision: keyset cursors carry JavaScript dates
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (cardinality(audience_organisation_ids) + cardinality(audience_organisation_types)
               + cardinality(audience_ports) > 0)
      )`);
    // NULL organisation_id = an alliance-wide default rule set by a platform admin.
    await q.query(`CREATE INDEX sharing_rules_owner_idx ON sharing_rules (organisation_id, created_at, id)`);
    await q.query(`CREATE INDEX sharing_rules_subject_idx ON sharing_rules (subject)`);

    await q.query(`
      CREATE TABLE bulletins (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        author_user_id uuid NOT NULL REFERENCES users(id),
        status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT','PUBLISHED','RETRACTED')),
        version integer NOT NULL DEFAULT 0,
        title text NOT NULL,
        summary text NOT NULL,
        body text NOT NULL,
        category text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('MINOR','MODERATE','SEVERE','EXTREME')),
        urgency text NOT NULL CHECK (urgency IN ('IMMEDIATE','EXPECTED','FUTURE','PAST','UNKNOWN')),
        certainty text NOT NULL CHECK (certainty IN ('OBSERVED','LIKELY','POSSIBLE','UNLIKELY','UNKNOWN')),
        ports text[] NOT NULL DEFAULT '{}',
        tlp text NOT NULL CHECK (tlp IN ('CLEAR','GREEN','AMBER','AMBER_STRICT','RED')),
        recipient_organisation_ids uuid[] NOT NULL DEFAULT '{}',
        recipient_user_ids uuid[] NOT NULL DEFAULT '{}',
        valid_until timestamptz,
        listed_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        published_at timestamptz,
        retracted_at timestamptz,
        retraction_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', summary), 'B')
          || setweight(to_tsvector('simple', body), 'C')) STORED,
        CHECK (tlp <> 'RED' OR cardinality(recipient_user_ids) > 0)
      )`);
    await q.query(`CREATE INDEX bulletins_listed_idx ON bulletins (listed_at DESC, id DESC)`);
    await q.query(`CREATE INDEX bulletins_org_listed_idx ON bulletins (organisation_id, listed_at DESC, id DESC)`);
    await q.query(`CREATE INDEX bulletins_search_idx ON bulletins USING gin (search)`);
    await q.query(`CREATE INDEX bulletins_recipient_orgs_idx ON bulletins USING gin (recipient_organisation_ids)`);
    await q.query(`CREATE INDEX bulletins_recipient_users_idx ON bulletins USING gin (recipient_user_ids)`);

    await q.query(`
      CREATE TABLE bulletin_versions (
        bulletin_id uuid NOT NULL REFERENCES bulletins(id),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        version integer NOT NULL,
        content jsonb NOT NULL,
        change_note text,
        published_by uuid NOT NULL REFERENCES users(id),
        published_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (bulletin_id, version)
      )`);

    await q.query(`
      CREATE TABLE bulletin_indicators (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        bulletin_id uuid NOT NULL REFERENCES bulletins(id),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        type text NOT NULL CHECK (type IN ('CONTAINER_NUMBER','IMO_NUMBER','SEAL_NUMBER','LICENCE_PLATE',
          'VESSEL_NAME','COMPANY','OTHER')),
        value text NOT NULL,
        search_key text NOT NULL
      )`);
    await q.query(`CREATE INDEX bulletin_indicators_bulletin_idx ON bulletin_indicators (bulletin_id)`);
    await q.query(`CREATE INDEX bulletin_indicators_key_idx ON bulletin_indicators (search_key)`);

    await q.query(`
      CREATE TABLE bulletin_acknowledgements (
        bulletin_id uuid NOT NULL REFERENCES bulletins(id),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        user_id uuid NOT NULL REFERENCES users(id),
        note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (bulletin_id, organisation_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'bulletin_acknowledgements',
      'bulletin_indicators',
      'bulletin_versions',
      'bulletins',
      'sharing_rules',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
