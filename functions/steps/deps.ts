import { SFNClient } from '@aws-sdk/client-sfn'
import { config } from '../config.js'
import { appSecretSource } from '../config-secret.js'
import { createMailer, type Mailer, transportFromConfig } from '../mail/index.js'
import { createDynamoClient } from '../store/client.js'
import { createIdentity, type Identity } from '../store/identity.js'
import { createRecords, type Records } from '../store/records.js'
import { createTaskStore, type TaskStore } from '../store/tasks.js'
import { createWorkflowClient, type WorkflowClient } from '../workflow-client.js'

/** What step handlers need: created once per process from configuration. */
export interface StepDeps {
  records: Records
  tasks: TaskStore
  /** The workflow engine (Step Functions API): histories, heartbeats, starts. */
  workflows: WorkflowClient
  now: () => Date
  /** For e-mail to people (task assigned, reminders, digest): the identity store, the mailer, the links' base. */
  mailing?: { identity: Identity; mail: Mailer; publicUrl: string }
}

let current: StepDeps | undefined

/** Builds step dependencies from configuration (Lambda) or returns the ones set by the local composition. */
export function stepDeps(): StepDeps {
  if (!current) {
    const cfg = config()
    const { doc } = createDynamoClient(cfg)
    const now = () => new Date()
    const records = createRecords({ doc, tableName: cfg.tableName, now })
    const sfn = new SFNClient({ region: cfg.region, endpoint: cfg.sfnEndpoint })
    current = {
      records,
      tasks: createTaskStore({ records, secret: appSecretSource(cfg), now }),
      workflows: createWorkflowClient(sfn, cfg),
      now,
      mailing: {
        identity: createIdentity({ doc, tableName: cfg.tableName, now }),
        mail: createMailer({ transport: transportFromConfig(cfg, now), from: cfg.mailFrom, records, now }),
        publicUrl: cfg.publicUrl,
      },
    }
  }
  return current
}

/** The local process shares its store client and clock with the steps it runs in-process. */
export function setStepDeps(deps: StepDeps | undefined): void {
  current = deps
}
