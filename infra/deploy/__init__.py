"""Deploying to AWS: the deployment's games (`infra/deploy.yaml`), the template rendered from
them, and the Lambda artifact built for the runtime's platform."""

from infra.deploy.config import DEPLOY_FILE, DeployedGame, Deployment, load_deployment

__all__ = ["DEPLOY_FILE", "DeployedGame", "Deployment", "load_deployment"]
